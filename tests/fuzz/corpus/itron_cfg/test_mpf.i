# 0 "test_mpf.cfg"
# 1 "test_mpf.cfg"
# 1 "test_mpf.h" 1
# 3 "test_mpf.cfg" 2
CRE_TSK(TASK1, { 0x02U, 1, task1, 10, 4096U, 
# 4 "test_mpf.cfg" 3 4
                                                            ((void *)0) 
# 4 "test_mpf.cfg"
                                                                 });
CRE_TSK(TASK2, { 0U, 2, task2, 9, 4096U, 
# 5 "test_mpf.cfg" 3 4
                                                              ((void *)0) 
# 5 "test_mpf.cfg"
                                                                   });
CRE_MPF(MPF1, { 0x00U, 3, 32, 
# 6 "test_mpf.cfg" 3 4
                                                 ((void *)0)
# 6 "test_mpf.cfg"
                                                     , 
# 6 "test_mpf.cfg" 3 4
                                                       ((void *)0) 
# 6 "test_mpf.cfg"
                                                            });
CRE_ALM(ALM1, { 0U, 1, alm1 });
